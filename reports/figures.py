"""Key figures as published, and derived figures checked against their formula.

A derived figure stores its formula over other figures' keys (`covid_pressure - covid_funding`). The report
computes it and, where the published value differs, says so in words beside it. Formulas are parsed, never
evaluated as code: numbers, keys, + − × ÷ and brackets only.
"""

import ast
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from .models import KeyFigure

OPERATORS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}


class FormulaError(ValueError):
    pass


def format_value(value: Decimal, unit: str) -> str:
    """As reports print them: £20.4m, £85,000, 42, 12.5%."""
    if unit == KeyFigure.Unit.POUNDS:
        if abs(value) >= 1_000_000:
            millions = (value / 1_000_000).quantize(Decimal("0.01")).normalize()
            return f"£{millions:f}m"
        return f"£{value.quantize(Decimal('1')):,}" if value == value.to_integral() else f"£{value:,.2f}"
    if unit == KeyFigure.Unit.PERCENT:
        return f"{value.normalize():f}%"
    return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"


def _evaluate(node: ast.AST, values: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, values)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = _evaluate(node.left, values), _evaluate(node.right, values)
        try:
            return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)]
        except KeyError:
            if right == 0:
                raise FormulaError("it divides by zero") from None
            return left / right
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, values)
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise FormulaError(f"it refers to “{node.id}”, which is not a key figure of the council")
        return values[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return Decimal(str(node.value))
    raise FormulaError("it uses something other than figures, numbers, + − × ÷ and brackets")


def _words(node: ast.AST, labels: dict[str, str]) -> str:
    """The formula with each key's label and value: '£30.35m (COVID-19 cost and income pressure) − …'."""
    if isinstance(node, ast.Expression):
        return _words(node.body, labels)
    if isinstance(node, ast.BinOp):
        return f"{_words(node.left, labels)} {OPERATORS[type(node.op)]} {_words(node.right, labels)}"
    if isinstance(node, ast.UnaryOp):
        return f"−{_words(node.operand, labels)}"
    if isinstance(node, ast.Name):
        return labels[node.id]
    return str(getattr(node, "value", ""))


def compute(formula: str, values: dict[str, Decimal]) -> tuple[Decimal, ast.Expression]:
    try:
        tree = ast.parse(formula.replace("×", "*").replace("÷", "/").replace("−", "-"), mode="eval")
    except SyntaxError as exc:
        raise FormulaError("it is not a formula of figures, numbers, + − × ÷ and brackets") from exc
    try:
        return _evaluate(tree, values), tree
    except (InvalidOperation, DivisionByZero) as exc:
        raise FormulaError("it cannot be computed") from exc


@dataclass(frozen=True)
class FigureLine:
    label: str
    period: str
    published: str
    note: str
    computed: str = ""  # for a derived figure: what its formula gives
    check: str = ""  # in words, where the published value and the formula disagree (or it cannot be computed)
    reported_on: dt.date | None = None
    value: Decimal | None = None
    unit: str = KeyFigure.Unit.POUNDS

    @property
    def disagrees(self) -> bool:
        return bool(self.check)


def figure_lines(figures: Iterable[KeyFigure]) -> list[FigureLine]:
    """Each figure as the report shows it, derived ones checked against their formula."""
    figures = list(figures)
    values = {figure.key: figure.value for figure in figures}
    labels = {figure.key: f"{format_value(figure.value, figure.unit)} ({figure.label})" for figure in figures}
    lines = []
    for figure in figures:
        published = format_value(figure.value, figure.unit)
        computed = check = ""
        if figure.formula:
            try:
                result, tree = compute(figure.formula, values)
                exact = result.quantize(Decimal("0.01"))
            except (InvalidOperation, OverflowError):
                check = f"Its formula “{figure.formula}” cannot be checked: its result is too large."
            except FormulaError as error:
                check = f"Its formula “{figure.formula}” cannot be checked: {error}."
            else:
                computed = format_value(result, figure.unit)
                if exact != figure.value.quantize(Decimal("0.01")):
                    difference = format_value(abs(exact - figure.value), figure.unit)
                    check = (
                        f"The published figure is {published}, but {_words(tree, labels)} is {computed}: "
                        f"a difference of {difference}."
                    )
        lines.append(
            FigureLine(
                figure.label,
                figure.period,
                published,
                figure.note,
                computed,
                check,
                reported_on=figure.reported_on,
                value=figure.value,
                unit=figure.unit,
            )
        )
    return lines


def as_at(figures: Iterable[KeyFigure], day: dt.date) -> list[KeyFigure]:
    """The figures known at the end of `day`: for each key, the one reported last on or before it (a figure
    reported later is not shown, and formulas use the figures of that day). In the order given."""
    latest: dict[str, KeyFigure] = {}
    for figure in figures:
        if figure.reported_on > day:
            continue
        known = latest.get(figure.key)
        if known is None or (figure.reported_on, figure.pk or 0) > (known.reported_on, known.pk or 0):
            latest[figure.key] = figure
    chosen = {id(figure) for figure in latest.values()}
    return [figure for figure in figures if id(figure) in chosen]
