"""The image renditions templates use, produced at upload rather than on first view."""

# Every filter spec a public template asks for. ``tasks.generate_renditions`` makes
# them when an image is saved, so no page view pays for image processing.
RENDITION_SPECS = ("width-480", "width-960", "height-80")
