"""`python -m nir`: the same as the `nir` command."""

from nir._entry import main

if __name__ == "__main__":
    main()
