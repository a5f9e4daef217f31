package io.cococloud.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;

/**
 * Invitations to join projects: a project's admins list and revoke the ones they sent (they send them with
 * {@code POST .../members}); a console account lists, accepts and declines the ones addressed to it.
 */
@RestController
@RequestMapping("/admin/api/v1")
class InvitationController {

    private final Invitations invitations;

    InvitationController(Invitations invitations) {
        this.invitations = invitations;
    }

    record InvitationView(UUID id, UUID projectId, String email, Role role, String status, Instant createdAt,
            Instant expiresAt) {
        static InvitationView of(Invitations.Invitation i) {
            return new InvitationView(i.id(), i.projectId(), i.email(), i.role(), "pending", i.createdAt(),
                    i.expiresAt());
        }
    }

    /** An invitation as its addressee sees it: which project, in which role. */
    record ReceivedView(UUID id, UUID projectId, String projectSlug, String projectName, Role role,
            Instant expiresAt) {
        static ReceivedView of(Invitations.Received r) {
            return new ReceivedView(r.invitation().id(), r.project().id(), r.project().slug(), r.project().name(),
                    r.invitation().role(), r.invitation().expiresAt());
        }
    }

    @GetMapping("/projects/{projectId}/invitations")
    List<InvitationView> sent(@ProjectRole(Role.ADMIN) Membership project) {
        return invitations.pending(project.projectId()).stream().map(InvitationView::of).toList();
    }

    @DeleteMapping("/projects/{projectId}/invitations/{invitationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@ProjectRole(Role.ADMIN) Membership project, @PathVariable UUID invitationId) {
        invitations.revoke(project.projectId(), invitationId);
    }

    @GetMapping("/invitations")
    List<ReceivedView> mine(@AuthenticationPrincipal AdminPrincipal me) {
        return invitations.addressedTo(me).stream().map(ReceivedView::of).toList();
    }

    @PostMapping("/invitations/{invitationId}/accept")
    ReceivedView accept(@AuthenticationPrincipal AdminPrincipal me, @PathVariable UUID invitationId) {
        return ReceivedView.of(invitations.accept(me, invitationId));
    }

    @DeleteMapping("/invitations/{invitationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void decline(@AuthenticationPrincipal AdminPrincipal me, @PathVariable UUID invitationId) {
        invitations.decline(me, invitationId);
    }
}
