"""E-mails: one template per e-mail (templates/emails/<name>.html) with three blocks: `subject`, `text`, and
`html` (the body, which templates/emails/layout.html wraps). They are rendered when the e-mail is queued and
sent by a job (`tasks.email_send`) once the transaction that caused them has committed: a request never
waits for the mail server, and a failure is tried again.

Links in e-mails start with SITE_URL (`site_link`), never with the address a request came in on."""

import textwrap
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.utils import timezone
from django.utils.safestring import mark_safe

PARTS = ("subject", "text", "html")


@dataclass(frozen=True)
class Email:
    to: list[str]
    subject: str
    text: str
    html: str


def site_link(path: str) -> str:
    """The service's own address for a path, for e-mails: SITE_URL, then the path."""
    return settings.SITE_URL.rstrip("/") + path


def shorten(text: str, width: int = 80) -> str:
    """Text that fits `width`, cut at a word and ended with an ellipsis when it was cut."""
    return textwrap.shorten(text, width=width, placeholder="…")


def email_render(*, template: str, context: dict[str, Any], to: list[str]) -> Email:
    """Render an e-mail's three blocks: the subject on one line, the text part without HTML escaping, the HTML
    part escaped as any page is."""
    compiled = get_template(template).template  # type: ignore[attr-defined]
    blocks = {node.name: node for node in compiled.nodelist.get_nodes_by_type(BlockNode)}
    missing = [part for part in PARTS if part not in blocks]
    if missing:
        raise ValueError(f"{template} has no {', '.join(missing)} block")
    full_context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL, **context}
    rendered = {}
    for part in PARTS:
        ctx = Context(full_context, autoescape=part == "html")
        with ctx.render_context.push_state(compiled), ctx.bind_template(compiled):
            rendered[part] = blocks[part].render(ctx)
    subject = " ".join(rendered["subject"].split())
    text = textwrap.dedent(rendered["text"]).strip() + "\n"
    html = render_to_string(  # the html block is the body; the layout wraps it in a document
        "emails/layout.html",
        {"subject": subject, "body": mark_safe(rendered["html"].strip()), "service_name": settings.SERVICE_NAME},  # noqa: S308
    )
    return Email(to=to, subject=subject, text=text, html=html)


def email_queue(*, template: str, context: dict[str, Any], to: list[str]) -> Email | None:
    """Render the e-mail now and enqueue its sending once the current transaction commits (at once outside
    one). Nothing is sent to nobody."""
    if not to:
        return None
    from councilimprove.tasks import email_send  # the task module imports the models: load it on first use

    email = email_render(template=template, context=context, to=sorted(set(to)))
    message = asdict(email)
    transaction.on_commit(lambda: email_send.enqueue(message=message, at=timezone.now().isoformat()), robust=True)
    return email
