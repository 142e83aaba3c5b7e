"""budget: budget follow-up and tertial reports for Swedish district councils."""

__version__ = "0.1.0"
