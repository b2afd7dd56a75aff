"""The benchmark behind `make bench`: seeding a national-scale database, measuring pages
and documents against floors from the same run, and a bounded load test on gunicorn.

Run from the project folder as `python -m bench` (`make bench`); it is not part of the
installed package. Never runs on the development database: see bench/command.py.
"""
