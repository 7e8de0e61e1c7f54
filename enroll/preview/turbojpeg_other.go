//go:build !cgo || noturbo

package preview

// newDefaultDecoder is image/jpeg where libjpeg-turbo cannot be linked.
func newDefaultDecoder() decoder { return goDecoder{} }
