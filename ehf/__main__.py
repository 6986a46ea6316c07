import sys

from ehf.cli import main

sys.exit(main())
