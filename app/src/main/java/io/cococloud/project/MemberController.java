package io.cococloud.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.admin.AdminPrincipal;

@RestController
@RequestMapping("/admin/api/v1/projects/{projectId}/members")
class MemberController {

    private final MemberService members;
    private final Invitations invitations;

    MemberController(MemberService members, Invitations invitations) {
        this.members = members;
        this.invitations = invitations;
    }

    record AddMemberRequest(@NotBlank @Email @Size(max = 254) String email, @NotNull Role role) {}

    record UpdateMemberRequest(@NotNull Role role) {}

    record MemberView(UUID id, UUID accountId, String email, String name, Role role, Instant createdAt) {
        static MemberView of(MemberService.MemberWithAccount m) {
            return new MemberView(m.member().id(), m.member().accountId(),
                    m.account() == null ? null : m.account().email(), m.account() == null ? null : m.account().name(),
                    m.member().role(), m.member().createdAt());
        }
    }

    @GetMapping
    List<MemberView> list(@ProjectRole(Role.VIEWER) Membership project) {
        return members.list(project.projectId()).stream().map(MemberView::of).toList();
    }

    /**
     * Invites the address; it becomes a member when that account accepts. Answers 202 alike whether or not a
     * console account has the address.
     */
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    InvitationController.InvitationView add(@ProjectRole(Role.ADMIN) Membership project,
            @AuthenticationPrincipal AdminPrincipal me, @Valid @RequestBody AddMemberRequest body) {
        return InvitationController.InvitationView.of(invitations.invite(project, me.accountId(), body.email(),
                body.role()));
    }

    @PatchMapping("/{memberId}")
    MemberView changeRole(@ProjectRole(Role.ADMIN) Membership project, @PathVariable UUID memberId,
            @Valid @RequestBody UpdateMemberRequest body) {
        return MemberView.of(members.changeRole(project, memberId, body.role()));
    }

    @DeleteMapping("/{memberId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@ProjectRole(Role.ADMIN) Membership project, @PathVariable UUID memberId) {
        members.remove(project, memberId);
    }
}
