"""The import's limits, in one place: the upload page, its form, `manage.py import_action_plan`, the readers and
the docs (docs/SPREADSHEET.md, "Import") all take them from here.

A real plan is far inside all of them: the St Helens plan is 40 rows; a 5,000-row export is 4.3 MB of sheet XML
that compresses about 16:1. They exist so that a hostile file is refused for what it declares (its size, its
sheet's dimension, its archive's sizes) before it costs anything to read, and so that one that lies about
itself is stopped at the limit while it is read, never after."""

MAX_BYTES = 4 * 1024 * 1024  # the upload (it waits in the database between the dry run and the import)
MAX_ROWS = 5_000  # data rows in one file, both kinds together
MAX_COLUMNS = 200  # columns of a CSV file or of a sheet (the export has 19 and 14)
# Rows of one sheet, blank rows and the header included: twice the data rows, so that blank rows between the
# data are counted (and a file just over MAX_ROWS is told how many rows it has) rather than refused on size.
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_CELLS = 500_000  # cells written in a workbook, blank ones with formatting included (5,000 × 14 is 70,000)
MAX_SHEETS = 100  # worksheets in a workbook (every one is read, for formulas)

# A workbook is a ZIP archive: its parts' sizes are read from its directory and checked before any is opened
# (and the ZIP reader stops at the declared size, so a part cannot unpack to more than it declares).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # all parts together, unpacked
MAX_PART_RATIO = 100  # unpacked to packed, for a part over RATIO_FLOOR_BYTES (real sheets: about 15 to 1)
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_SHARED_STRINGS = MAX_CELLS
MAX_STYLES = 65_000  # cell formats in styles.xml (Excel allows 64,000)
MAX_XML_DEPTH = 64  # nesting of XML elements in any part

MAX_MERGED = 10_000  # merged ranges in one sheet (each is filled with its top-left value, cell by cell)
MAX_LISTED = 20  # cells named in a refusal (formulas, merged cells) before "and N more"
MAX_SHOWN = 100  # problems and warnings shown on the page or printed by the command before "and N more"
