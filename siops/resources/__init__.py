"""Data files shipped with the program (municipalities, UFs, XSD, icons); read them with
``importlib.resources.files("siops.resources")``."""
