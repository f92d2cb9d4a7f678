"""`python -m api` is the `demands` command."""

from api.cli import main

main()
