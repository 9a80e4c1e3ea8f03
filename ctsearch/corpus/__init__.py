"""Files → text: finding the corpus's files, reading and decoding them, repairing the text.

What belongs here: the corpus folder's conventions (`files`: document suffixes, sidecar and
people file names, defined once), reading bytes into clean text (`read`, `clean/`, and
`formats/` for what is not plain text: PDF, web pages), and the commands that change the
corpus (`add`, with `fetch` for `add URL`; `watch`). A reader for a new format goes in
`corpus/formats/`, its suffix in `files`. Nothing here knows about documents' metadata, the
index or Whoosh.
"""
