package io.cococloud.template;

import java.util.LinkedList;
import java.util.List;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ElseTag;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ObjectIterator;

/**
 * Jinjava's {@code for} with Jinja2's {@code for ... else}: the else part renders once when there is nothing to
 * iterate, and never inside the loop (Jinjava 2.8 prints it on every iteration, HubSpot/jinjava#1061). The
 * parsed tree is shared between renders, so the loop body is handed to Jinjava as a fresh node, never by
 * changing the shared one.
 */
final class ForElseTag extends ForTag {

    private static final long serialVersionUID = 1L;

    @Override
    public String renderForCollection(TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars,
            Object collection) {
        LinkedList<Node> children = tagNode.getChildren();
        int elseAt = -1;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof TagNode tag && tag.getTag() instanceof ElseTag) {
                elseAt = i;
                break;
            }
        }
        if (elseAt < 0) {
            return super.renderForCollection(tagNode, interpreter, loopVars, collection);
        }
        if (ObjectIterator.getLoop(collection).hasNext()) {
            TagNode body = new TagNode(tagNode.getTag(), (TagToken) tagNode.getMaster(), tagNode.getSymbols());
            body.setChildren(new LinkedList<>(children.subList(0, elseAt)));
            return super.renderForCollection(body, interpreter, loopVars, collection);
        }
        StringBuilder otherwise = new StringBuilder();
        for (Node node : children.subList(elseAt + 1, children.size())) {
            otherwise.append(node.render(interpreter).getValue());
        }
        return otherwise.toString();
    }
}
