"""Where zoo code comes from: the directory a card's repo-link names, fetched sparsely with git and cached
(``code``)."""
