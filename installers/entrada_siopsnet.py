"""Entry point of the frozen transmitter (PyInstaller): the same ``siopsnet`` command."""

import sys

from siops.transmissor.cli import main

if __name__ == "__main__":
    sys.exit(main())
