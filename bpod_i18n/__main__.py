from bpod_i18n.cli import app

app()
