"""The authority service: list entries, publishing, blind evaluation, hit reports, audit log."""

from api.authority.app import create_app
from api.authority.settings import Settings, get_settings

__all__ = ["Settings", "create_app", "get_settings"]
