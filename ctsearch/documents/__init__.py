"""Text → documents → passages: metadata (title, type, dates, conferences, people), sentences
(`sentences`, the only module that imports NLTK, with `punkt`), who speaks (`attribution`) and
the passages (`passages`); `parse` puts them together, with the sidecars.

What belongs here: anything that turns clean text into `Document`s and `Passage`s. Nothing
here imports Whoosh or knows about the index.
"""
