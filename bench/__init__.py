"""The benchmark behind `make bench`: seeding a national-scale database, measuring pages
and documents against floors from the same run, and a bounded load test on gunicorn.

Never runs on the development database: see kierratys/management/commands/bench.py.
"""
