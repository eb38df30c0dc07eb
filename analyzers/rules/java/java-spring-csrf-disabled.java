import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

public class SecurityConfig {
    @Bean
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        // ruleid: java-spring-csrf-disabled
        http.csrf(AbstractHttpConfigurer::disable)
            .authorizeHttpRequests(a -> a.anyRequest().authenticated());
        return http.build();
    }

    SecurityFilterChain legacy(HttpSecurity http) throws Exception {
        // ruleid: java-spring-csrf-disabled
        http.csrf().disable().formLogin();
        return http.build();
    }

    SecurityFilterChain lambda(HttpSecurity http) throws Exception {
        // ruleid: java-spring-csrf-disabled
        return http.csrf(csrf -> csrf.disable()).build();
    }

    SecurityFilterChain spa(HttpSecurity http) throws Exception {
        // ok: java-spring-csrf-disabled
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()));
        return http.build();
    }

    SecurityFilterChain api(HttpSecurity http) throws Exception {
        // ok: java-spring-csrf-disabled
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/api/webhooks/**"));
        return http.build();
    }
}
