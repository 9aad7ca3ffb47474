// Package courses will hold course packages in object storage, the catalogue,
// lessons, assessments, enrolments, learning records and certificates.
// Filled in by the courses issue.
package courses
