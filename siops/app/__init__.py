"""The Qt client (windows, table models over ``forms``, dialogs) and the ``siops`` CLI.

Only the modules that open windows import PySide6; the command-line verbs do not, so
``siops validar`` works on a server without Qt libraries.
"""
