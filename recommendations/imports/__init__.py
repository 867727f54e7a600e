"""Import an existing action plan from XLSX or CSV, in the layout the export writes (docs/SPREADSHEET.md).

`reading` turns the bytes into rows of named cells (refusing what is not a plain workbook or CSV file, or is
over a limit of `limits`), `planning` turns the rows into a plan of changes and problems against the
database as `current` reads it (the dry run), each row's cells read and checked field by field in `checks`, and
`applying` writes a plan with no problems in one transaction."""

from .applying import ImportFailed, ImportResult, PlanChanged, import_apply, plan_upload
from .limits import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_SHOWN
from .planning import ImportPlan, plan_import
from .reading import FileRefused, ReadFile, read_plan

__all__ = [
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SHOWN",
    "FileRefused",
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "PlanChanged",
    "ReadFile",
    "import_apply",
    "plan_import",
    "plan_upload",
    "read_plan",
]
