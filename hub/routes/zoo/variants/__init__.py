"""A card's own variant of the network its directory's code builds (``selection``)."""
