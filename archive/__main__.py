"""``python -m archive ...`` is the ``archive`` command."""

from .cli import main

main()
