package signetfiber

// FasthttpRead is fasthttpRead, for the package's external tests.
var FasthttpRead = fasthttpRead
