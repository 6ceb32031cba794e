"""The printed bulletin as PDF files, in stages.

``rendering`` turns an issue into print HTML and that into a PDF with WeasyPrint; ``renditions``
keeps the rendered files of a published issue (one per variant a reader can ask for) and makes a
reader's copy of one; ``imposition`` works on finished PDFs with pypdf (the watermark, the
booklet).
"""
