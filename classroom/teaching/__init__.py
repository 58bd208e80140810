"""Running lessons: group sessions and their seats, attendance, lesson notes, homework, the video-call
link and materials shared in a lesson."""
