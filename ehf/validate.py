"""Old name of :mod:`ehf.validation`, kept so that ``from ehf.validate import validate``
keeps working. New code imports from :mod:`ehf.validation` or from :mod:`ehf`.

Note that the package attribute ``ehf.validate`` is the *function* (``ehf/__init__``
loads this module first and then binds the function), so ``import ehf.validate as m``
gives the function; use ``import ehf.validation`` to get a module.
"""

from ehf.validation import RULESETS as RULESETS
from ehf.validation import Registration as Registration
from ehf.validation import register as register
from ehf.validation import select as select
from ehf.validation import validate as validate
from ehf.validation import validate_root as validate_root
