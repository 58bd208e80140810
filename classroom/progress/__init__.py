"""Progress per enrolment (sessions attended / planned, modules completed, teachers' notes) and the
lesson and enrolment history of students, for them, their parents and their teachers."""
