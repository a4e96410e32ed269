"""`python -m kg` runs the govkg command line."""

from kg.cli import main

if __name__ == "__main__":
    main(prog_name="govkg")
