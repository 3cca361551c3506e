"""Reading time: words at 200 per minute plus a little per image, never zero."""

from scripts.readtime import reading_time


def test_reading_time_counts_words_not_markup():
    html = "<p>" + "palabra " * 400 + "</p><script>var x = 'no cuenta';</script>"
    assert reading_time(html) == 2


def test_images_add_time_and_minimum_is_one_minute():
    assert reading_time("<p>hola</p>") == 1
    assert reading_time("<p>" + "w " * 190 + "</p>" + '<img src="a.png">' * 5) == 2
