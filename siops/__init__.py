"""siops-desktop: the SIOPS bimonthly declaration (client, transmitter and server).

One import package whose subpackages are the layers (ARCHITECTURE "One picture"), so that an
installation puts one name into site-packages instead of ten generic ones (``app``, ``forms``…).
"""
