"""Script that PyInstaller freezes: runs the ``offgrid-configurator`` console entry point."""

import sys

from gui.main import main

if __name__ == "__main__":
    sys.exit(main())
