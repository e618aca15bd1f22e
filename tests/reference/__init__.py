"""The API reference (a copy of the only spec) and the extractor of its JSON examples."""
