package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.verbs.VerbsException;

/** A control-path step that may fail with a {@link VerbsException}, e.g. destroying a native resource. */
@FunctionalInterface
interface NativeAction
{
    /** @throws VerbsException as the step fails. */
    void run() throws VerbsException;
}
