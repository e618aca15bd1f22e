"""unitalk-async: an asyncio client for the Unitalk cloud-telephony API."""

__version__ = "0.1.0"
