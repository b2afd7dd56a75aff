"""The middle of a stored histogram, found by the database.

The days from intake to handover are stored as a histogram (one counter per number of
days, kierratys.figures). Walking it in Python reads every bucket, a thousand rows after
a few years; a running sum in SQL (a window function, on SQLite and PostgreSQL alike)
returns only the one or two buckets that hold the middle."""

from django.db import connection

# histogram: the queryset's (category, n) rows, the category a whole number of days.
# A bucket holds the positions [upto - n, upto) of the sorted values; the middle one or
# two positions start at (total - 1) / 2 (integer division), so the first two buckets
# reaching past it hold them.
MIDDLE_SQL = """
WITH histogram AS ({histogram}),
running AS (
    SELECT CAST(category AS INTEGER) AS days, n,
           SUM(n) OVER (ORDER BY CAST(category AS INTEGER)) AS upto,
           SUM(n) OVER () AS total
    FROM histogram WHERE n > 0
)
SELECT days, upto - n, total FROM running
WHERE upto > (total - 1) / 2 ORDER BY days LIMIT 2
"""


def histogram_median(histogram):
    """(median, how many) of a values_list("category").annotate(n=Sum(...)) queryset whose
    category is a whole number; (None, 0) when it counts nothing. One query."""
    sql, params = histogram.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(MIDDLE_SQL.format(histogram=sql), params)
        # PostgreSQL sums integers as numeric: whole numbers as int, as the ORM gives them.
        buckets = [tuple(int(value) for value in row) for row in cursor.fetchall()]
    if not buckets:
        return None, 0
    total = buckets[0][2]
    wanted = [total // 2] if total % 2 else [total // 2 - 1, total // 2]
    # Each wanted position is in the last bucket starting at or before it.
    found = [
        [days for days, start, _total in buckets if start <= position][-1] for position in wanted
    ]
    return round(sum(found) / len(found), 1), total
