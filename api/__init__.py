"""Services and the command line, thin layers over ``matcher`` and ``keys``."""
