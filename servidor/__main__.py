"""``python -m servidor`` = ``siops-servidor``."""

import sys

from servidor.cli import main

sys.exit(main())
