"""`python -m bench` (what `make bench` runs), from the project folder: the benchmark command.

The benchmark is not part of the installed package, so it is no management
command; this entry sets Django up and runs bench.command.Command with the
command line's arguments.
"""

import os
import sys

import django


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kierratys.settings")
    django.setup()
    from bench.command import Command

    arguments = sys.argv[1:] if argv is None else argv
    # run_from_argv reads [program, subcommand, *arguments]; help shows "python -m bench".
    Command().run_from_argv(["python -m", "bench", *arguments])


if __name__ == "__main__":
    main()
