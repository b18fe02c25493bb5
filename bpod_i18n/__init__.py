"""bpod-i18n: the translation workflow for BPoD (Biomedical Picture of the Day)."""

__version__ = "0.1.0"
