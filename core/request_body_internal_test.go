package signet

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadBodyRoom checks readBody with room for the bytes: a body
// announced shorter than the room is read there, any other into a buffer
// of its own (a body longer than announced moves out of the room), and the
// bytes returned never have spare capacity.
func TestReadBodyRoom(t *testing.T) {
	tests := []struct {
		name          string
		body          io.Reader
		contentLength int64
		limit         int64
		want          string
		inRoom        bool
		err           error
	}{
		{"fits", strings.NewReader("hello"), 5, 100, "hello", true, nil},
		{"fills the room but its last byte", strings.NewReader("1234567"), 7, 100, "1234567", true, nil},
		{"as long as the room", strings.NewReader("12345678"), 8, 100, "12345678", false, nil},
		{"empty", strings.NewReader(""), 0, 100, "", true, nil},
		{"one byte reads", iotest.OneByteReader(strings.NewReader("hello")), 5, 100, "hello", true, nil},
		{"unknown length", strings.NewReader("hello"), -1, 100, "hello", false, nil},
		{"longer than announced", strings.NewReader("hello, world"), 5, 100, "hello, world", false, nil},
		{"longer than announced, over the limit", strings.NewReader("hello, world"), 5, 10, "", false, ErrBodyTooLarge},
		{"read error", iotest.ErrReader(errors.New("reset")), 5, 100, "", false, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room := make([]byte, 8)
			got, err := readBody(tt.body, tt.contentLength, tt.limit, room)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("readBody = %q, %v; want %q", got, err, tt.want)
			}
			if cap(got) != len(got) {
				t.Errorf("cap %d, len %d: appending would write past the body", cap(got), len(got))
			}
			if inRoom := cap(got) > 0 && &got[:1][0] == &room[0]; cap(got) > 0 && inRoom != tt.inRoom {
				t.Errorf("read into the room: %v, want %v", inRoom, tt.inRoom)
			}
		})
	}
}
