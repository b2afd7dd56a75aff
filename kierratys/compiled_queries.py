"""A queryset compiled to SQL once per database, then run again with other values.

    ERASURES_OF_DEVICE = CompiledQuery(
        lambda device_id: Erasure.objects.filter(device_id=device_id).order_by("-ended_at"),
        int,
    )
    erasures = ERASURES_OF_DEVICE(device.pk)  # a list of Erasure, as list(queryset) gives

Compiling a queryset (Django's SQLCompiler: the select list, the joins, the where clause,
the quoting of every column name) took half the time of each of the device page's queries
on PostgreSQL, and the page asks the same questions of every device with one value
changed. Here the queryset is built once with a stand-in for each value, compiled once,
and each call runs that SQL with the stand-ins replaced and turns the rows into objects
exactly as list(queryset) does, select_related objects included (Django's ModelIterable,
given the compiled compiler). Like SQLAlchemy's baked queries.

Only for a queryset whose SQL cannot depend on the values: each value is an int or a str
compared as it is (`field=value`, not None, not a list), and each stand-in must appear
once among the compiled parameters, or the CompiledQuery refuses to run (on its first
call, when it is compiled).
"""

import copy
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

# Values no query of the project compares with: a stand-in found among the compiled
# parameters is the value it stands for.
_STAND_INS = {
    int: lambda number: -(2**31) + 977 + number,
    str: lambda number: f"\x1fcompiled-query-value-{number}\x1f",
}


class CompiledQuery:
    """`build(*values)` returns a queryset; calling this returns its objects for `values`."""

    def __init__(self, build, *kinds):
        unknown = [kind for kind in kinds if kind not in _STAND_INS]
        if unknown:
            raise ImproperlyConfigured(f"CompiledQuery values are int or str, not {unknown}")
        self._build = build
        self._kinds = kinds
        self._compiled = {}  # (alias, vendor) -> _Compiled
        self._lock = threading.Lock()

    def __call__(self, *values, using=DEFAULT_DB_ALIAS):
        if len(values) != len(self._kinds):
            raise TypeError(f"{len(self._kinds)} values expected, {len(values)} given")
        for value, kind in zip(values, self._kinds, strict=True):
            if type(value) is not kind:
                raise TypeError(f"{value!r} is not {kind.__name__}")
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor))
        if compiled is None:
            compiled = self._compile(using, connection)
        return compiled.run(values, connection)

    def _compile(self, using, connection):
        with self._lock:
            key = (using, connection.vendor)
            if key not in self._compiled:
                stand_ins = [_STAND_INS[kind](number) for number, kind in enumerate(self._kinds)]
                queryset = self._build(*stand_ins).using(using)
                self._compiled[key] = _Compiled(queryset, stand_ins, connection)
            return self._compiled[key]


class _Compiled:
    def __init__(self, queryset, stand_ins, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also fills compiler.select, klass_info, ...
        positions = []
        for stand_in in stand_ins:
            found = [index for index, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"A value of this query is {'not used' if not found else 'used twice'} "
                    f"as a parameter, so its SQL is not the same for every value: {sql}"
                )
            positions.append(found[0])
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = tuple(params)
        self.positions = positions

    def run(self, values, connection):
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
            params[position] = value
        sql = self.sql
        # A compiler of this call's connection (a connection belongs to one thread) that
        # gives the SQL compiled once; everything else of it is as compiled.
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)
