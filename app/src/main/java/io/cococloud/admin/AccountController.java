package io.cococloud.admin;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cococloud.error.ForbiddenException;

/** Console accounts of this server, managed by its instance administrators. */
@RestController
@RequestMapping("/admin/api/v1/accounts")
class AccountController {

    private final AdminAccountService accounts;

    AccountController(AdminAccountService accounts) {
        this.accounts = accounts;
    }

    record CreateAccountRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank String password,
            @Size(max = 100) String name, Boolean instanceAdmin) {}

    @GetMapping
    List<AccountView> list(@AuthenticationPrincipal AdminPrincipal me) {
        requireInstanceAdmin(me);
        return accounts.list().stream().map(AccountView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AccountView create(@AuthenticationPrincipal AdminPrincipal me, @Valid @RequestBody CreateAccountRequest body) {
        requireInstanceAdmin(me);
        return AccountView.of(accounts.create(body.email(), body.password(), body.name(),
                Boolean.TRUE.equals(body.instanceAdmin())));
    }

    private static void requireInstanceAdmin(AdminPrincipal me) {
        if (!me.instanceAdmin()) {
            throw new ForbiddenException("Only an instance administrator manages accounts");
        }
    }
}
