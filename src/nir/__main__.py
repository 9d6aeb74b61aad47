"""`python -m nir`: the same as the `nir` command."""

from nir.cli import main

if __name__ == "__main__":
    main()
