"""What a format's reader and writer share, owned by neither: the txt layout, the docx style
map, Markdown's escaping and the markers of our own HTML. Readers and writers both import
from here; neither imports the other."""
