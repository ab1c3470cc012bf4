/**
 * Pieces shared by every rdmasockets layer: Linux errno values and the exception that carries them.
 */
module io.rdmasockets.common {
    exports io.rdmasockets.common;
}
