package io.flywheel.llm.eval.chat;

/**
 * Asks a chat model for one completion. Blocking: callers run it on worker threads and bound the
 * concurrency themselves. Implementations retry what is worth retrying (429, 5xx, timeouts) and
 * throw {@link ChatEndpointException} once they give up.
 */
public interface ChatClient {

    ChatCompletion complete(ChatRequest request) throws ChatEndpointException;
}
