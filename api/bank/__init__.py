"""The bank side: private screening against installed packages, with a local tag cache."""

from api.bank.private import PrivateScreener
from api.bank.tag_cache import TagCache
from api.bank.transport import InProcessTransport, Transport

__all__ = ["InProcessTransport", "PrivateScreener", "TagCache", "Transport"]
