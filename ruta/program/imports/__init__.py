"""Imports of participants and attendance: ``importer`` (the rules, all or nothing),
``reader`` (CSV and XLSX, streamed), ``values`` (one cell to a domain value), ``writer``
(prepared bulk inserts) and ``template`` (the files offered for download)."""
