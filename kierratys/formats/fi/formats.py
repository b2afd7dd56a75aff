"""One date form in every language of the UI, its documents and its CSV files.

1.12.2026: day.month.year without leading zeros, the Finnish standard form (SFS 4175,
Kotus). Finland-Swedish writes dates the same way (Institutet för de inhemska språken:
1.12.2026), and the English UI serves residents of Finland, whose letters and forms
from public bodies use it too; so sv and en share this module's values rather than
Sweden's 2026-12-01 or a US month-first form that would read 1.12. as January 12th.
The date fields accept what people type: 1.12.2026, 01.12.2026, 2026-12-01, 1.12.26.
"""

DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y H:i"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
YEAR_MONTH_FORMAT = "n/Y"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
