"""``python -m siops.servidor`` = ``siops-servidor``."""

import sys

from siops.servidor.cli import main

sys.exit(main())
