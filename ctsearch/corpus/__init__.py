"""Files → text: finding the corpus's files, reading and decoding them, repairing the text.

What belongs here: the corpus folder's conventions (`files`: document suffixes, sidecar and
people file names, defined once), reading bytes into clean text (`read`, `clean/`), and the
commands that change the corpus (`add`, `watch`). A reader for a new format (PDF, HTML) goes
in `corpus/formats/`. Nothing here knows about documents' metadata, the index or Whoosh.
"""
