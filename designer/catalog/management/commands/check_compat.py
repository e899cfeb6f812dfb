"""``manage.py check_compat``: see ``designer.cli.check_compat`` (runs without Django from ``manage.py``)."""
from designer.catalog.management.filecommand import FileCommand


class Command(FileCommand):
    cli_name = "check_compat"
